// Fills ${NAME} placeholders the way the official nginx image does (envsubst limited to the
// variables that are defined): names that are not given are left as they are, so nginx's own
// variables ($remote_addr, …) pass through untouched.
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
}
