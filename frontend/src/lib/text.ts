/** Server messages arrive as "must be at least 8 characters"; shown alone they read better capitalised. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
