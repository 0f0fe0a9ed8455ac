# PostgreSQL from Debian's packages, for the compose "scale" profile where Docker Hub's postgres
# image cannot be pulled (docker/compose.debian.yml) and for deploy/k8s/postgres.yaml. It takes the
# official image's variables (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB) and data folder, so
# either image serves the same compose file. BASE_IMAGE: any Debian bookworm image at hand.
# Works with the classic builder and BuildKit alike (no BuildKit-only syntax).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
ENV PGDATA=/var/lib/postgresql/data \
    PATH=/usr/lib/postgresql/15/bin:$PATH
USER postgres
VOLUME ["/var/lib/postgresql/data"]
EXPOSE 5432
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD ["pg_isready", "-h", "127.0.0.1"]
ENTRYPOINT ["/bin/sh", "/usr/local/bin/postgres-entrypoint.sh"]
