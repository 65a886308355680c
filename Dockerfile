# syntax=docker/dockerfile:1

# Build a static binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG TARGETOS TARGETARCH
RUN CGO_ENABLED=0 GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags="-s -w" -o /out/qwenbot ./cmd/qwenbot

# Small final image: CA certificates, time zones, the binary, a non-root
# user (65532), no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/qwenbot /usr/local/bin/qwenbot
COPY config.toml /etc/qwenbot/config.toml
USER nonroot:nonroot
# 8080: /healthz, /readyz, /metrics (http.listen); 8443: Telegram webhook
# (telegram.webhook_listen); 8081: Discord interactions, when configured.
EXPOSE 8080 8443 8081
# Docker's default, stated: SIGTERM drains running answers, a second
# signal exits at once.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/qwenbot"]
CMD ["serve", "--config", "/etc/qwenbot/config.toml"]
