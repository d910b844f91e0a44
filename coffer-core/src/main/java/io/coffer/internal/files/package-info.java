/**
 * What every file format shares: {@link io.coffer.internal.files.DbFiles} owns file names and their order,
 * {@link io.coffer.internal.files.Checksums} the masked CRC32C. Stateless apart from the directory path;
 * safe from any thread.
 */
package io.coffer.internal.files;
