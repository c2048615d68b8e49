# One image runs both `mdo operator` and `mdo agent` (and `mdo baseline`).
# Build: docker build -t ghcr.io/mdo-dev/mdo:0.1.0 .
# Node 24 strips TypeScript types natively, so the sources run as they are: no build step,
# no dev dependencies, and the stack traces point at the real files.

FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; none of them needs an install script.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY crds ./crds
# The image's `node` user; pods run with runAsNonRoot and a read-only root filesystem
# (nothing is written outside mounted volumes).
USER 1000:1000
ENTRYPOINT ["node", "/app/src/cmd/mdo.ts"]
CMD ["--help"]
