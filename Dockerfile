# The canary-promoter worker: `docker build -t canary-promoter .`, run by docker-compose.yml or
# deploy/kubernetes/worker-deployment.yaml. Configured by environment (src/worker/config.ts).

# Node >= 20.19: the compiled CommonJS loads @kubernetes/client-node 1.x, an ES module, with
# require(esm), which is unflagged from 20.19 on. The node:20 tags are past that.
ARG NODE_IMAGE=node:20-bookworm-slim

# Build: every dependency, compile TypeScript, then drop the dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime: compiled code and production dependencies only, as the unprivileged `node` user.
FROM ${NODE_IMAGE}
WORKDIR /app
# The metrics listeners bind 127.0.0.1 by default, unreachable from outside a container.
ENV NODE_ENV=production \
    WORKER_METRICS_PORT=9464 \
    WORKER_SDK_METRICS_PORT=9465 \
    WORKER_METRICS_HOST=0.0.0.0
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# node (uid 1000), numeric so Kubernetes can verify runAsNonRoot. The files stay root-owned: the
# worker cannot change its own code. It writes only to /tmp, so a read-only root filesystem works.
USER 1000:1000
EXPOSE 9464 9465
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.WORKER_METRICS_PORT || 9464) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/worker/main.js"]
