# Accrue in a container: built from source in a JDK stage, run on a JRE as an unprivileged user.
# The image carries no embedded PostgreSQL (built with -DnoEmbeddedPostgres): point ACCRUE_DB_URL at PostgreSQL 14 or newer
# (see docs/operations.md, and compose.yaml for two nodes on one postgres:16).
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY core core
COPY app app
COPY adapters adapters
COPY server server
COPY bench bench
RUN ./mvnw -B -ntp -DnoEmbeddedPostgres -DskipTests -pl server -am package

FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 accrue && useradd --system --uid 10001 --gid accrue --home-dir /app --shell /usr/sbin/nologin accrue
WORKDIR /app
COPY --from=build /src/server/target/accrue.jar /app/accrue.jar
COPY LICENSE /app/LICENSE
ENV ACCRUE_HOST=0.0.0.0 \
    ACCRUE_PORT=8080 \
    ACCRUE_LOG_FORMAT=json \
    ACCRUE_DATA_DIR=/app/data
USER 10001:10001
EXPOSE 8080
# /health answers 503 while the database is unreachable, so an orchestrator sees a node that cannot serve
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["java", "-XX:TieredStopAtLevel=1", "-jar", "/app/accrue.jar", "health"]
ENTRYPOINT ["java", "-XX:+UseParallelGC", "-XX:MaxRAMPercentage=75", "-jar", "/app/accrue.jar"]
CMD ["serve"]
