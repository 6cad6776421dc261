/**
 * Event ids are "<ms>-<n>" and increase along each reader's stream: true when `a` comes after `b`.
 * The same order as `compareEventIds` in @corridor/realtime (the spec checks they agree), which the
 * browser bundle cannot import: that index also exports the Redis publisher.
 */
export function isNewerEventId(a: string, b: string): boolean {
  const [am = 0, an = 0] = a.split('-').map(Number);
  const [bm = 0, bn = 0] = b.split('-').map(Number);
  return am !== bm ? am > bm : an > bn;
}
