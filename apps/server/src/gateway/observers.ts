import type { GatewayObserver } from "./ports.js";

/**
 * One observer that hands every message to several (the tracer, the list_changed watcher...),
 * added as the app is composed. One failing observer never affects the others or the proxy.
 */
export function createObserverList(onError: (err: unknown) => void) {
  const observers: GatewayObserver[] = [];
  const each = (call: (o: GatewayObserver) => void) => {
    for (const observer of observers) {
      try {
        call(observer);
      } catch (err) {
        onError(err);
      }
    }
  };
  return {
    add(observer: GatewayObserver) {
      observers.push(observer);
    },
    fromClient: (ctx, message) => each((o) => o.fromClient(ctx, message)),
    fromServer: (ctx, message) => each((o) => o.fromServer(ctx, message)),
    sessionEnded: (ctx) => each((o) => o.sessionEnded(ctx)),
  } satisfies GatewayObserver & { add(o: GatewayObserver): void };
}
