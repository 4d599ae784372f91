/** The words the large text repeats: plain ASCII with no character JSON would escape. */
const FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ";

/** The last characters of every large text, so a client can tell a whole answer from a cut one. */
export const LARGE_TEXT_END = "<end of large result>";

/**
 * The text the large-result server returns for `bytes`: exactly `bytes` ASCII characters (so as
 * many UTF-8 bytes, and as many in its JSON string), ending with {@link LARGE_TEXT_END} when
 * there is room for it. Both the server and the client's check use it.
 */
export function largeText(bytes: number): string {
  if (bytes <= LARGE_TEXT_END.length) return LARGE_TEXT_END.slice(-bytes);
  const body = bytes - LARGE_TEXT_END.length;
  return FILLER.repeat(Math.ceil(body / FILLER.length)).slice(0, body) + LARGE_TEXT_END;
}
