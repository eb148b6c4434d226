# The portal's container image. Built with the project's own setup (.ci/build --release:
# the wasm target, cargo-leptos, wasm-bindgen and binaryen come from crates.io and npm,
# nothing from GitHub), then copied into a small runtime image that runs as a non-root
# user. Build from the repository root:  docker build -t portal .
# Several instances on PostgreSQL: deploy/compose.yaml. One machine: deploy/portal.service.

FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN bash .ci/build --release \
 && mkdir -p /out \
 && cp target/release/server /out/server \
 && cp -r target/site /out/site

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /srv/portal --shell /usr/sbin/nologin portal \
 && mkdir -p /srv/portal/data \
 && chown portal:portal /srv/portal/data
COPY --from=build /out/server /usr/local/bin/server
COPY --from=build /out/site /srv/portal/site
WORKDIR /srv/portal
ENV PORTAL_ADDR=0.0.0.0:3000 \
    PORTAL_SITE_ROOT=/srv/portal/site \
    PORTAL_DATABASE_URL=sqlite:///srv/portal/data/portal.db \
    PORTAL_LOG_FORMAT=json
USER portal
VOLUME ["/srv/portal/data"]
EXPOSE 3000
# SIGTERM stops it gracefully (open event streams end, requests in flight finish).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/server"]
CMD ["serve"]
