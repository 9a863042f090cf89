/**
 * Text order as people expect it ("check9" before "check10"). One shared collator: the handy
 * `a.localeCompare(b, undefined, { numeric: true })` builds a new one per call, which made sorting
 * 2,000 checks take ~200 ms instead of ~1 ms.
 */
const collator = new Intl.Collator(undefined, { numeric: true });

export const naturalCompare: (a: string, b: string) => number = collator.compare;
