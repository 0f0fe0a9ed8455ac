# Redis from Debian's packages, for the compose "scale" profile where Docker Hub's redis image
# cannot be pulled (docker/compose.debian.yml). BASE_IMAGE: any Debian bookworm image at hand.
# Works with the classic builder and BuildKit alike (no BuildKit-only syntax).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/*
USER redis
WORKDIR /var/lib/redis
EXPOSE 6379
# Debian's Redis keeps protected mode on (Docker Hub's image turns it off): without a password it
# would refuse every client outside the container. The compose file passes the same flag.
CMD ["redis-server", "--protected-mode", "no"]
