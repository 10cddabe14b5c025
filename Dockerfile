# One image for every Switchboard service; docker-compose picks the entry point per container.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
COPY platform ./platform
COPY connectors ./connectors
COPY inbox-service/package.json inbox-service/
COPY ticketing/package.json ticketing/
COPY knowledge-base/package.json knowledge-base/
COPY widget/package.json widget/
COPY agent-console/package.json agent-console/
COPY hub/package.json hub/
RUN npm ci --ignore-scripts

FROM deps AS build
COPY . .
RUN npm run build

# The WhatsApp Web connector drives Debian's Chromium (WHATSAPP_WEB_CHROMIUM); only its image carries it.
FROM node:22-bookworm-slim AS whatsapp-web
RUN apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "connectors/whatsapp-web/src/main.ts"]

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "hub/src/main.ts"]
