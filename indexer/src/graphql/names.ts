// graph-node's API names (graph/src/schema/api.rs): `loan` and `loans` from `Loan`, with the Rust
// Inflector crate's pluralisation for the common English endings; `_collection` when they clash.
const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

export function pluralize(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

export function singularField(typeName: string): string {
  return lowerFirst(typeName);
}

export function pluralField(typeName: string): string {
  const plural = lowerFirst(pluralize(typeName));
  return plural === singularField(typeName) ? `${plural}_collection` : plural;
}
