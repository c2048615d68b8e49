# One image runs `mdo operator`, `mdo agent`, `mdo fetch|verify|digest`, `mdo baseline`, `mdo batch`
# and `mdo dashboard`.
# Build: docker build -t ghcr.io/mdo-dev/mdo:0.1.0 .
# The sources are compiled to JavaScript here (tsconfig.build.json: relative .ts imports become
# .js): Node.js's type stripping costs every process ~26 MB of memory and start-up time, paid by
# the operator and by every model pod's agent and fetcher (ADR 0011).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The compiler and Node's types are dev dependencies; no package needs an install script.
RUN npm ci --ignore-scripts && npm cache clean --force
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
# The web dashboard's page (`mdo dashboard`), served as files beside its compiled server.
COPY src/dashboard/static ./dist/dashboard/static
COPY crds ./crds
# The image's `node` user; pods run with runAsNonRoot and a read-only root filesystem
# (nothing is written outside mounted volumes).
USER 1000:1000
ENTRYPOINT ["node", "/app/dist/cmd/mdo.js"]
CMD ["--help"]
