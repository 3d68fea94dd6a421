package dev.floe.catalogsync;

import dev.floe.core.Errors;
import dev.floe.core.FloeException;
import dev.floe.core.config.CatalogSettings;

/** The user-facing errors of catalog sync: each names the catalog, the table and the fix. */
final class SyncFailures {
  private SyncFailures() {}

  /** A failure of a sync, explained by what its cause says about the catalog. */
  static FloeException of(CatalogSettings c, TableState state, Throwable cause, Secrets secrets) {
    if (cause instanceof FloeException e) {
      return e;
    }
    String problem =
        "Cannot register "
            + state.format()
            + " table "
            + state.id()
            + " in catalog '"
            + c.name()
            + "' ("
            + c.typeName()
            + (c.uri() == null ? "" : " at " + c.uri())
            + "): "
            + secrets.describe(cause);
    return Errors.of(problem, fix(c, state, cause), null);
  }

  /** The catalog holds another table under the name: Floe never overwrites it. */
  static FloeException otherTable(CatalogSettings c, TableState state, String theirs) {
    return Errors.of(
        "Catalog '"
            + c.name()
            + "' already has a table "
            + state.id()
            + " at "
            + theirs
            + ", not Floe's table at "
            + state.root(),
        "drop or rename that table in '"
            + c.name()
            + "' if it is a stale copy; otherwise give Floe's table another name (tables[].table)"
            + " or remove '"
            + c.name()
            + "' from its register-in",
        null);
  }

  private static String fix(CatalogSettings c, TableState state, Throwable cause) {
    String kind = kind(cause);
    return switch (kind) {
      case "auth" ->
          "check the credentials under catalogs."
              + c.name()
              + " (credential, token, user/password) and that they may create tables in namespace "
              + String.join(".", state.id().namespace());
      case "unreachable" ->
          "check that catalogs."
              + c.name()
              + ".uri is right and the catalog is running; Floe retries";
      case "name" ->
          "the catalog rejects the name "
              + state.id()
              + ": give the table a name it accepts (lower-case letters, digits, underscores) in"
              + " tables[].table";
      case "storage" ->
          "catalog '"
              + c.name()
              + "' reads table metadata only from the object stores it is configured for (Nessie:"
              + " s3, gs, abfs), not from Floe's warehouse at "
              + state.root()
              + ": register the table in a catalog that reads that file system (jdbc, hive, or a"
              + " rest catalog with local files) or remove '"
              + c.name()
              + "' from its register-in";
      default -> "check the catalog's log; Floe retries with backoff and keeps ingesting";
    };
  }

  private static String kind(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String type = c.getClass().getSimpleName();
      String message = String.valueOf(c.getMessage());
      if (type.equals("NotAuthorizedException")
          || type.equals("ForbiddenException")
          || message.matches(
              "(?s)^(AccessDeniedException|InvalidSignatureException|UnrecognizedClientException"
                  + "|ExpiredTokenException).*")
          || String.valueOf(c.getMessage())
              .matches("(?s).*(code: 40[13]|password authentication failed|invalid_client).*")) {
        return "auth";
      }
      if (c instanceof java.net.ConnectException
          || c instanceof java.net.UnknownHostException
          || c instanceof java.net.http.HttpConnectTimeoutException
          || type.equals("ServiceUnavailableException")
          || String.valueOf(c.getMessage()).contains("Connection refused")) {
        return "unreachable";
      }
      // Nessie's catalog answers 400 for a metadata file outside its object stores: not a name
      if (message.contains("Unknown or unsupported scheme")) {
        return "storage";
      }
      if (type.equals("BadRequestException")
          || message.startsWith("InvalidInputException")
          || type.equals("IllegalArgumentException")
          || type.equals("ValidationException")) {
        return "name";
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return "other";
  }
}
