package dev.floe.sinks.delta;

import io.delta.storage.CloseableIterator;
import io.delta.storage.LogStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Delta's log on the local file system through java.nio instead of Hadoop's local FileSystem,
 * which, without Hadoop's native library, forks a {@code chmod} for every file it creates and stats
 * every file of the log directory on each listing (together about 100 ms per commit on a log of a
 * few hundred versions). A version file is written to a temporary file, forced to disk, then
 * hard-linked to its name: the link fails if the name exists, so of two writers of one version (a
 * zombie and its successor, even in two processes) exactly one wins, and readers never see a
 * partial file. Public because Delta instantiates log stores by class name.
 */
public final class LocalFileLogStore extends LogStore {

  public LocalFileLogStore(Configuration conf) {
    super(conf);
  }

  @Override
  public CloseableIterator<String> read(Path path, Configuration conf) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(local(path), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(path.toString());
    }
    Iterator<String> it = lines.stream().filter(l -> !l.isEmpty()).iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public String next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration conf)
      throws IOException {
    java.nio.file.Path target = local(path);
    Files.createDirectories(target.getParent());
    java.nio.file.Path temp =
        target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel channel =
              FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8)) {
        while (actions.hasNext()) {
          out.write(actions.next());
          out.write('\n');
        }
        out.flush();
        channel.force(true);
      }
      if (overwrite) {
        Files.move(
            temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.createLink(target, temp); // atomic put-if-absent
      }
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(target.toString()); // Delta's "version taken" signal
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public Iterator<FileStatus> listFrom(Path path, Configuration conf) throws IOException {
    java.nio.file.Path start = local(path);
    java.nio.file.Path dir = start.getParent();
    if (!Files.isDirectory(dir)) {
      throw new FileNotFoundException("No such directory: " + dir);
    }
    String from = start.getFileName().toString();
    List<FileStatus> files = new ArrayList<>();
    try (Stream<java.nio.file.Path> entries = Files.list(dir)) {
      for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (name.compareTo(from) >= 0 && !name.startsWith(".") && !name.endsWith(".crc")) {
          try {
            files.add(
                new FileStatus(
                    Files.size(p),
                    false,
                    1,
                    0,
                    Files.getLastModifiedTime(p).toMillis(),
                    new Path(p.toUri())));
          } catch (NoSuchFileException e) {
            // removed by log cleanup while listing
          }
        }
      }
    }
    files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    return files.iterator();
  }

  @Override
  public Path resolvePathOnPhysicalStorage(Path path, Configuration conf) {
    return new Path(local(path).toUri());
  }

  /**
   * True, although version files are never seen partially: Delta asks this before writing a
   * checkpoint, which goes through Hadoop's file system, and then writes it to a temporary file and
   * renames it, so that a concurrent reader never picks up half a checkpoint.
   */
  @Override
  public Boolean isPartialWriteVisible(Path path, Configuration conf) {
    return true;
  }

  private static java.nio.file.Path local(Path path) {
    return java.nio.file.Path.of(path.toUri().getPath());
  }
}
