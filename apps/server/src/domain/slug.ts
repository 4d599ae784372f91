/**
 * URL-safe slug from a display name: lower-case ASCII letters, digits and single dashes. Imports
 * nothing, so the web app's forms derive the same slug the server will (see apps/web).
 */
export function slugify(name: string, fallback: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  return slug || fallback;
}
