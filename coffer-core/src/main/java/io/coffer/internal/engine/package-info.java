/**
 * Wires the parts and owns the lifecycle: {@link io.coffer.internal.engine.Engine} (states, start/stop,
 * recovery at open, status), {@link io.coffer.internal.engine.Operations} (the read and change paths),
 * {@link io.coffer.internal.engine.RequestCheck} (argument checks in the contract's order) and
 * {@link io.coffer.internal.engine.Epoch} (one run's batcher and in-flight operations).
 *
 * <p>Operations are called from any caller thread; lifecycle methods from any thread, serialized by the
 * engine's lifecycle lock. The only package that knows every other internal package.
 */
package io.coffer.internal.engine;
