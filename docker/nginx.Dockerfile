# nginx from Debian's packages, for the compose "scale" profile where Docker Hub's nginx image
# cannot be pulled (docker/compose.debian.yml). BASE_IMAGE: any Debian bookworm image at hand.
# Laid out like Docker Hub's image: configuration in /etc/nginx/conf.d/*.conf, logs to the
# container's output, nginx in the foreground.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 8080
# SIGQUIT: finish the requests (and streams) in flight before stopping.
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
