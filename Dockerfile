# syntax=docker/dockerfile:1

# Base images are pinned by tag and digest (multi-architecture index
# digests), so a rebuild gets the same bytes. To update one, look its
# digest up and replace it, together with go.mod's go line for golang:
#   docker buildx imagetools inspect golang:1.26.8-bookworm
#   docker buildx imagetools inspect gcr.io/distroless/static-debian12:nonroot
#   docker buildx imagetools inspect mwader/static-ffmpeg:7.1.1
# (the "Digest:" line at the top).

# Build a static binary.
FROM golang:1.26.8-bookworm@sha256:9fdc884aacc3bec89b20ffc69f4bb369c78210e3e4f600387b5128b12c199f81 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
ARG TARGETOS TARGETARCH
# Stamp the binary ("qwenbot version", the start log, qwenbot_build_info):
#   docker build --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg COMMIT=$(git rev-parse HEAD) \
#     --build-arg BUILD_DATE=$(date -u +%FT%TZ) .
# Empty values leave what the Go toolchain recorded.
ARG VERSION= COMMIT= BUILD_DATE=
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH} \
    go build -trimpath \
    -ldflags="-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X main.date=${BUILD_DATE}" \
    -o /out/qwenbot ./cmd/qwenbot

# ffmpeg for videos (bots/video): a fully static build (musl, no shared
# libraries), so it runs on the distroless static base below. Only the
# ffmpeg binary is copied (not ffprobe). Pin it like the other bases:
#   docker buildx imagetools inspect mwader/static-ffmpeg:7.1.1
FROM mwader/static-ffmpeg:7.1.1@sha256:11a44711684c0b9f754c047dcd64235b8b52deab251bd0e0a86f22faa160749c AS ffmpeg

# Small final image: CA certificates, time zones, the binary, ffmpeg, a
# non-root user (65532), no shell.
FROM gcr.io/distroless/static-debian12:nonroot@sha256:d093aa3e30dbadd3efe1310db061a14da60299baff8450a17fe0ccc514a16639
COPY --from=build /out/qwenbot /usr/local/bin/qwenbot
COPY --from=ffmpeg /ffmpeg /usr/local/bin/ffmpeg
COPY config.toml /etc/qwenbot/config.toml
USER nonroot:nonroot
# config.toml listens on 127.0.0.1:8080; inside the container the
# operator endpoint must listen on every interface to be published.
ENV QWENBOT_HTTP_LISTEN=0.0.0.0:8080
# 8080: /healthz, /readyz, /metrics (http.listen); 8443: Telegram webhook
# (telegram.webhook_listen); 8081: Discord interactions, when configured.
EXPOSE 8080 8443 8081
# No shell in the image: the binary asks its own /readyz.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/qwenbot", "health", "--config", "/etc/qwenbot/config.toml"]
# Docker's default, stated: SIGTERM drains running answers, a second
# signal exits at once.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/qwenbot"]
CMD ["serve", "--config", "/etc/qwenbot/config.toml"]
