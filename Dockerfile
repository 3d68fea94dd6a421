# syntax=docker/dockerfile:1
# Floe image: docs/deploy.md. Build:  docker build -t floe .
# Run:    docker run -v $PWD/floe.yaml:/etc/floe/floe.yaml:ro -v floe-data:/var/lib/floe floe
# The default command is `floe run --config /etc/floe/floe.yaml`; any other floe command line can be
# given instead, e.g. `docker run ... floe validate /etc/floe/floe.yaml`.

# --- build stage: the same reactor build as ./floe, producing app/target/floe-<version>.tar.gz ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# -am also builds the modules that app needs only for its tests (spark-reader, test-support), and Maven
# resolves test-scope dependencies even when tests are skipped: the first build downloads those too.
# The cache mount keeps ~/.m2 between builds (BuildKit).
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp package -pl app -am -Dmaven.test.skip=true -Dspotless.skip=true \
 && mkdir /dist \
 && tar xzf app/target/floe-*.tar.gz -C /dist --strip-components=1

# --- runtime stage: JRE only, non-root ---
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 floe \
 && useradd --system --uid 10001 --gid floe --home-dir /var/lib/floe --shell /usr/sbin/nologin floe \
 && mkdir -p /etc/floe /var/lib/floe \
 && chown floe:floe /var/lib/floe
COPY --from=build /dist /opt/floe
# Container-aware heap: 75% of the memory limit (docs/deploy.md#sizing); fail fast on OOM so that the
# orchestrator restarts the process (Floe resumes from the offsets stored in the tables).
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    PATH="/opt/floe/bin:${PATH}"
USER floe
WORKDIR /var/lib/floe
# Config by mount (/etc/floe/floe.yaml), secrets by environment (${env:NAME} in the config).
# A local warehouse (warehouse: /var/lib/floe/warehouse) belongs on a volume.
VOLUME ["/var/lib/floe"]
# Metrics (/metrics), health (/health/live, /health/ready) and /status on http.port (default 9464).
EXPOSE 9464
# Liveness over bash's /dev/tcp: the JRE image need not ship curl. Change the port if the config does.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9464 && printf 'GET /health/live HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/opt/floe/bin/floe"]
CMD ["run", "--config", "/etc/floe/floe.yaml"]
