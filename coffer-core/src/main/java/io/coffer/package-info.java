/**
 * Coffer's public API: {@link io.coffer.Db}, its {@link io.coffer.DbBuilder}, {@link io.coffer.Handler},
 * {@link io.coffer.CreateReport} and {@link io.coffer.StatusReport}. Everything under
 * {@code io.coffer.internal} may change without notice.
 *
 * <h2>Who runs where</h2>
 * <table>
 *   <caption>Threads of one database</caption>
 *   <tr><th>Thread</th><th>Runs</th><th>Owns</th></tr>
 *   <tr><td>callers (any number)</td><td>checks, key locks, handlers, staging; then wait for the sync</td>
 *       <td>nothing durable</td></tr>
 *   <tr><td>coffer-batcher</td><td>group commit: write a batch, force once, apply, complete callers</td>
 *       <td>the open log; the committed records</td></tr>
 *   <tr><td>coffer-log-maker</td><td>makes the next log (header, zeros, force, directory sync) while the open
 *       one fills</td><td>that next log, until the batcher takes it</td></tr>
 *   <tr><td>coffer-follower</td><td>replays closed logs onto the newest checkpoint, writes the next one</td>
 *       <td>checkpoint files; deletion of covered files</td></tr>
 *   <tr><td>coffer-resources</td><td>samples free memory and disk every few hundred ms</td>
 *       <td>the "changes allowed" flag</td></tr>
 *   <tr><td>the caller of create/start/stop/close</td><td>recovery, the final checkpoint</td>
 *       <td>everything, while no other thread of the database runs</td></tr>
 *   <tr><td>coffer-log-reader</td><td>during a recovery (and the follower's replay): reads and decodes the
 *       logs ahead of the thread applying them</td><td>nothing: it hands over operations and closes each log</td></tr>
 * </table>
 *
 * <h2>Files</h2>
 * {@code NNNNNNNNNN.log} (operations), {@code NNNNNNNNNN.checkpoint} (snapshots), {@code NNNNNNNNNN.check} (a
 * checkpoint being written) and {@code coffer.lock}. See {@code io.coffer.internal.files.DbFiles}.
 */
package io.coffer;
