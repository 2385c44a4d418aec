package io.leadloop.common.fs;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FsConstants;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.local.LocalConfigKeys;

/**
 * The local file system for {@code FileContext} ({@code fs.AbstractFileSystem.file.impl}), as
 * Hadoop's {@code LocalFs} but over {@link NioRawLocalFileSystem}: Delta's log store writes each
 * commit with a {@code FileContext} rename, which reads the link status of the source and the
 * target first.
 */
public class NioLocalFs extends ChecksumFs {
  /**
   * The constructor {@code AbstractFileSystem.createFileSystem} calls; as Hadoop's, it serves
   * {@code file:///} whatever the URI.
   */
  public NioLocalFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
    super(new Raw(FsConstants.LOCAL_FS_URI, conf));
  }

  /** As Hadoop's {@code RawLocalFs}, delegating to {@link NioRawLocalFileSystem}. */
  static final class Raw extends DelegateToFileSystem {
    Raw(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new NioRawLocalFileSystem(), conf, FsConstants.LOCAL_FS_URI.getScheme(), false);
    }

    @Override
    public int getUriDefaultPort() {
      return -1;
    }

    @Override
    public FsServerDefaults getServerDefaults(Path f) throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    @Deprecated
    public FsServerDefaults getServerDefaults() throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public boolean isValidName(String src) {
      // as Hadoop's: the operating system validates local names
      return true;
    }
  }
}
