package dev.floe.sinks.iceberg;

import dev.floe.core.Errors;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Lists and deletes the files under a table's location through the warehouse's {@link FileIO}, for
 * the jobs that look for files no metadata references: Iceberg orphan removal, Delta VACUUM and log
 * cleanup. One code path for a local warehouse and for S3, where there are no directories to walk,
 * only keys under a prefix. Public for the Delta sink, which writes through the same FileIO.
 */
public final class WarehouseFiles {
  private WarehouseFiles() {}

  /**
   * Every file under {@code location} (a directory or a prefix; the trailing slash is added here),
   * at any depth, with its size and creation time, as the FileIO names it.
   *
   * @param table names the table in errors
   */
  public static List<FileInfo> under(FileIO io, String location, Object table) {
    if (!(io instanceof SupportsPrefixOperations listing)) {
      throw Errors.of(
          "Cannot list the files of table "
              + table
              + ": its FileIO "
              + io.getClass().getName()
              + " cannot list a prefix",
          "use a FileIO that supports prefix listing (S3FileIO, HadoopFileIO, Floe's local one)",
          null);
    }
    // with the slash: object stores list by string prefix, and table "t" must not list "t2"'s files
    String prefix = location.endsWith("/") ? location : location + "/";
    List<FileInfo> files = new ArrayList<>();
    listing.listPrefix(prefix).forEach(files::add);
    return files;
  }

  /**
   * Deletes {@code locations}: in batches where the FileIO can (S3's DeleteObjects takes 1,000 keys
   * a request), else one by one.
   *
   * @param table names the table in errors
   */
  public static void delete(FileIO io, List<String> locations, Object table) {
    if (locations.isEmpty()) {
      return;
    }
    if (!(io instanceof SupportsBulkOperations bulk)) {
      locations.forEach(io::deleteFile);
      return;
    }
    try {
      bulk.deleteFiles(locations);
    } catch (BulkDeletionFailureException e) {
      throw Errors.of(
          "Could not delete "
              + e.numberFailedObjects()
              + " of "
              + locations.size()
              + " files of table "
              + table
              + " (the FileIO's log names them)",
          "check the credentials' delete permission on the bucket; the next run tries them again",
          e);
    }
  }

  /**
   * A location without its scheme and with single slashes, so that {@code file:/t/a}, {@code
   * file:///t/a} and {@code /t/a} (or {@code s3://b/a} and {@code s3a://b/a}) compare equal.
   * Collapsing slashes can only make two files look like one, which keeps a file, never deletes a
   * referenced one.
   */
  public static String key(String location) {
    return location.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*:", "").replaceAll("/{2,}", "/");
  }
}
