#!/usr/bin/env bash
# nginx (Debian) terminating TLS in front of one portal, as production does:
#   scripts/tls-proxy.sh FOLDER UPSTREAM_PORT HTTPS_PORT HTTP_PORT
# makes a self-signed certificate for localhost/127.0.0.1 in FOLDER (its
# cert.pem is what clients must trust), writes FOLDER/nginx.conf and runs
# nginx in the foreground: HTTPS_PORT proxies to 127.0.0.1:UPSTREAM_PORT
# (no buffering: server-sent events pass at once), HTTP_PORT redirects
# every request to HTTPS. Loopback only. Used by scripts/test.sh.
set -euo pipefail
folder="$1" upstream="$2" https_port="$3" http_port="$4"
mkdir -p "$folder/temp"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$folder/key.pem" -out "$folder/cert.pem" 2>/dev/null
cat > "$folder/nginx.conf" <<CONF
worker_processes 1;
error_log $folder/error.log warn;
pid $folder/nginx.pid;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $folder/temp/body;
  proxy_temp_path $folder/temp/proxy;
  fastcgi_temp_path $folder/temp/fastcgi;
  uwsgi_temp_path $folder/temp/uwsgi;
  scgi_temp_path $folder/temp/scgi;
  server_tokens off;
  server {
    listen 127.0.0.1:$http_port;
    return 301 https://localhost:$https_port\$request_uri;
  }
  server {
    listen 127.0.0.1:$https_port ssl;
    server_name localhost;
    ssl_certificate $folder/cert.pem;
    ssl_certificate_key $folder/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      proxy_pass http://127.0.0.1:$upstream;
      proxy_http_version 1.1;
      proxy_set_header Host \$host:\$server_port;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto https;
      proxy_buffering off;
    }
  }
}
CONF
exec nginx -p "$folder" -c "$folder/nginx.conf" -g 'daemon off;'
