/**
 * The local file system ({@code file:}) as Hadoop's, without starting a child process per file: see
 * {@link io.leadloop.common.fs.NioLocalFileSystem}.
 */
package io.leadloop.common.fs;
