# syntax=docker/dockerfile:1

# Build a static binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/qwenbot ./cmd/qwenbot

# Small final image: CA certificates, time zones, the binary, a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/qwenbot /usr/local/bin/qwenbot
COPY config.toml /etc/qwenbot/config.toml
USER nonroot:nonroot
EXPOSE 8080 8443
ENTRYPOINT ["/usr/local/bin/qwenbot"]
CMD ["serve", "--config", "/etc/qwenbot/config.toml"]
