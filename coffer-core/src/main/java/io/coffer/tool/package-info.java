/**
 * The inspection tool: {@link io.coffer.tool.CofferTool} lists, checks and dumps the files of a Coffer
 * directory from the command line, like H2's MVStoreTool. It reads with the engine's own readers and
 * recovery rules, through a storage that refuses every write, and never opens the database. See
 * {@code docs/tool.md}.
 */
package io.coffer.tool;
