# HallCall: multi-stage image. The server runs its TypeScript sources with tsx (no emit step;
# the Redis store reads its Lua scripts next to its sources), the web pages are built by Vite.
#
#   docker build -t hallcall .
#   docker run -p 3000:3000 -e SESSION_SECRET=... -e REDIS_URL=redis://redis:6379 hallcall

# ---- build: all dependencies, then the web pages (dist/web) -------------------------------
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN if node -e "process.exit(require('./package.json').scripts?.build ? 0 : 1)"; then npm run build; \
    else echo "no build script: web pages skipped"; fi; mkdir -p dist/web

# ---- deps: production dependencies plus tsx (the runtime TypeScript loader) -----------------
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm install --no-save --no-audit --no-fund "tsx@$(node -p "require('./package.json').devDependencies.tsx")" \
 && npm cache clean --force

# ---- runtime: sources, production node_modules, built pages; non-root -----------------------
FROM node:20-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json tsconfig.json ./
COPY --chown=node:node protocol ./protocol
COPY --chown=node:node server ./server
COPY --chown=node:node config ./config
COPY --from=build --chown=node:node /app/dist/web ./dist/web
# Without REDIS_URL the halls live in SQLite under DATA_DIR: mount a volume there to keep them.
ENV DATA_DIR=/app/data
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node directly (not npm start): signals reach the server, which closes cleanly on SIGTERM.
CMD ["node", "--import", "tsx", "server/main.ts"]
