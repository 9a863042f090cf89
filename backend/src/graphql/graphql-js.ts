// graphql, the one copy mercurius uses. mercurius require()s graphql's CommonJS build, while
// `import 'graphql'` may load its ESM build (vitest and bundlers follow the package's "module"
// field), and graphql refuses a schema or error made by another copy ("Cannot use GraphQLSchema
// from another module or realm"). Every GraphQL import of the backend goes through this file.
export * from 'graphql/index.js';
