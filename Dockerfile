# otpkit as a container image: `docker build -t otpkit .` (or `buildah bud`).
#
#   docker run -p 8787:8787 -v otpkit-data:/data \
#     -e OTPKIT_SECRET=… -e OTPKIT_AUTHKEY=… -e OTPKIT_METRICS_TOKEN=… \
#     -e OTPKIT_PUBLIC_URL=https://otp.example.com -e OTPKIT_WEBHOOK_URL=… otpkit
#
# Two stages on the same Node image: the first builds the npm package of the
# server (the widget script, the console and the migrations inside it) from
# the workspace and installs it with its production dependencies only; the
# second holds that install and nothing else (no pnpm, no TypeScript, no
# compiler, no sources). better-sqlite3 13 is prebuilt (Node-API): nothing
# native is compiled. NODE_IMAGE must be Node 22 or later.
#
# Behind a TLS-intercepting proxy, hand its CA bundle to the build as a secret:
# it is mounted for the install step only and never stored in a layer:
#   docker build --secret id=npm_ca,src=/etc/ssl/certs/ca-certificates.crt .
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=secret,id=npm_ca \
    set -eu; \
    if [ -s /run/secrets/npm_ca ]; then \
      export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca npm_config_cafile=/run/secrets/npm_ca; \
    fi; \
    export CI=true npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false; \
    npx --yes pnpm@10.34.9 install --frozen-lockfile --ignore-scripts \
      --filter @otpkit/server... --filter @otpkit/widget... --filter @otpkit/console...; \
    npx --yes pnpm@10.34.9 --filter @otpkit/widget --filter @otpkit/console build; \
    mkdir -p /tmp/package; (cd server && npm pack --pack-destination /tmp/package); \
    mkdir /app; cd /app; \
    printf '{"name":"otpkit-image","private":true}\n' > package.json; \
    npm install --omit=dev --omit=optional --ignore-scripts /tmp/package/otpkit-server-*.tgz; \
    rm -rf /root/.npm /root/.cache /root/.local/share/pnpm

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    DATABASE_URL=sqlite:/data/otpkit.db \
    PATH=/app/node_modules/.bin:$PATH
RUN groupadd --system --gid 10001 otpkit \
 && useradd --system --uid 10001 --gid otpkit --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin otpkit \
 && mkdir -p /data \
 && chown otpkit:otpkit /data
COPY --from=build /app /app
WORKDIR /app
USER otpkit
VOLUME /data
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["otpkit", "serve"]
