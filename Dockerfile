# docscan in a container: the binary, its Debian packages and the model assets.
# Unbuilt here (no Docker engine on the development machines); its inputs are
# kept in step with `make deps` by deploy/docker_test.go:
#   - the build stage runs scripts/deps.sh itself (packages and npm assets,
#     checked against models/SHA256SUMS), exactly as `make deps` does;
#   - the runtime stage installs the same Debian package list (APT_PKGS).
# Both stages are Debian 12 (bookworm), the platform `make deps` targets.
#
#   docker build -t docscan .
#   docker run --rm -p 8080:8080 -v $PWD/tokens:/etc/docscan/tokens/tokens:ro docscan
#   docker run --rm docscan worker --nats nats://nats:4222

FROM golang:1.26-bookworm AS build
# npm fetches the ONNX Runtime and model tarballs inside scripts/deps.sh.
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=container
RUN scripts/deps.sh \
    && go build -ldflags "-X main.version=${VERSION}" -o /out/docscan ./cmd/docscan \
    && mkdir -p /out/assets \
    && cp -r .cache/assets/models .cache/assets/lib /out/assets/

FROM debian:bookworm-slim
# The Debian packages of scripts/deps.sh (APT_PKGS), nothing more, nothing less.
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      pkg-config \
      libopencv-dev \
      libtesseract-dev libleptonica-dev \
      tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-osd \
      fonts-ocr-b fonts-opendin fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
# docscan finds assets/models and assets/lib next to its binary.
COPY --from=build /out/ /app/
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/app/docscan"]
CMD ["serve", "--addr", "0.0.0.0:8080", "--tokens", "/etc/docscan/tokens/tokens"]
