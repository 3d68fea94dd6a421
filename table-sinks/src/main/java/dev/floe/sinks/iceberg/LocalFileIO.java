package dev.floe.sinks.iceberg;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * A {@link FileIO} for local paths ({@code /a/b} or {@code file:/a/b}) without Hadoop's FileSystem.
 * Public only because catalogs instantiate FileIOs by class name ({@code io-impl}).
 *
 * <p>Output is buffered (Iceberg's own local output writes every Thrift byte of a Parquet footer
 * with one system call) and forced to disk on close: a catalog commit must never point at a file
 * that a power loss can take back.
 */
public final class LocalFileIO implements FileIO, SupportsPrefixOperations {
  private Map<String, String> properties = Map.of();

  @Override
  public void initialize(Map<String, String> props) {
    this.properties = Map.copyOf(props);
  }

  @Override
  public Map<String, String> properties() {
    return properties;
  }

  @Override
  public InputFile newInputFile(String location) {
    return new LocalInput(location, path(location));
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new LocalOutput(location, path(location));
  }

  @Override
  public void deleteFile(String location) {
    try {
      Files.deleteIfExists(path(location));
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to delete " + location, e);
    }
  }

  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    Path root = path(prefix);
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).map(LocalFileIO::info).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to list " + prefix, e);
    }
  }

  @Override
  public void deletePrefix(String prefix) {
    Path root = path(prefix);
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) { // children before parents
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to delete " + prefix, e);
    }
  }

  static Path path(String location) {
    if (location.startsWith("file:")) {
      return Path.of(java.net.URI.create(location.replaceFirst("^file:/+", "file:///")));
    }
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      // Writing s3://... as a local path would put the data in a local "s3:" folder while the
      // catalog
      // points readers at object storage: a silently broken table.
      throw dev.floe.core.Errors.of(
          "table location "
              + location
              + " is not on the local file system, but Floe's warehouse is local",
          "use a catalog whose warehouse is a local directory, or set warehouse: s3://bucket/prefix"
              + " (and the s3 block) so that Floe writes to object storage",
          null);
    }
    return Path.of(location);
  }

  private static FileInfo info(Path p) {
    try {
      return new FileInfo(p.toString(), Files.size(p), Files.getLastModifiedTime(p).toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A local file that keeps the location it was opened by: a catalog compares the metadata location
   * it holds ({@code file:/...}) with the one a commit read, and Iceberg's own local input would
   * report the bare path, failing every commit after the first.
   */
  private record LocalInput(String location, Path path) implements InputFile {
    @Override
    public long getLength() {
      return org.apache.iceberg.Files.localInput(path.toFile()).getLength();
    }

    @Override
    public org.apache.iceberg.io.SeekableInputStream newStream() {
      return org.apache.iceberg.Files.localInput(path.toFile()).newStream();
    }

    @Override
    public boolean exists() {
      return Files.exists(path);
    }
  }

  private record LocalOutput(String location, Path path) implements OutputFile {
    @Override
    public PositionOutputStream create() {
      return open(StandardOpenOption.CREATE_NEW);
    }

    @Override
    public PositionOutputStream createOrOverwrite() {
      return open(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public InputFile toInputFile() {
      return new LocalInput(location, path);
    }

    private PositionOutputStream open(StandardOpenOption... options) {
      try {
        Files.createDirectories(path.getParent());
        FileChannel channel = FileChannel.open(path, with(options, StandardOpenOption.WRITE));
        return new SyncedStream(channel);
      } catch (FileAlreadyExistsException e) {
        throw new AlreadyExistsException(e, "File already exists: %s", location);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create " + location, e);
      }
    }

    private static StandardOpenOption[] with(
        StandardOpenOption[] options, StandardOpenOption extra) {
      StandardOpenOption[] all = java.util.Arrays.copyOf(options, options.length + 1);
      all[options.length] = extra;
      return all;
    }
  }

  private static final class SyncedStream extends PositionOutputStream {
    private final FileChannel channel;
    private final OutputStream out;
    private long position;
    private boolean closed;

    SyncedStream(FileChannel channel) {
      this.channel = channel;
      this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 << 10);
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      position += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try (channel) {
        out.flush();
        channel.force(true);
      }
    }
  }
}
