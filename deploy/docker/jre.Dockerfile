# A JRE image for machines that cannot pull one: Debian's OpenJDK 17 on the locally built Debian base
# (deploy/docker/engine.sh base-image). Elsewhere the service images use a public JRE image instead.
ARG BASE_IMAGE=snapbus/base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless curl \
 && rm -rf /var/lib/apt/lists/*
