#!/usr/bin/env bash
# nginx (Debian) as the load balancer in front of several portal instances:
#   scripts/load-balancer.sh FOLDER PORT UPSTREAM_PORT...
# writes FOLDER/nginx.conf and runs nginx in the foreground on
# 127.0.0.1:PORT. Requests go to the instance with the fewest open
# connections (live streams stay open for hours); an instance that refuses
# connections is skipped for 5 s, and a request it never received goes to
# the next one (a POST that reached an instance is never sent twice).
# Server-sent events pass at once (no buffering). Loopback only. Used by
# scripts/cluster.sh and scripts/bench-cluster.sh.
set -euo pipefail
folder="$1" port="$2"
shift 2
mkdir -p "$folder/temp"
upstreams=""
for upstream in "$@"; do
  upstreams+="    server 127.0.0.1:$upstream max_fails=1 fail_timeout=5s;"$'\n'
done
cat > "$folder/nginx.conf" <<CONF
worker_processes 1;
error_log $folder/error.log warn;
pid $folder/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $folder/temp/body;
  proxy_temp_path $folder/temp/proxy;
  fastcgi_temp_path $folder/temp/fastcgi;
  uwsgi_temp_path $folder/temp/uwsgi;
  scgi_temp_path $folder/temp/scgi;
  server_tokens off;
  upstream portale {
    least_conn;
$upstreams    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://portale;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host:\$server_port;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 1h;
      proxy_buffering off;
    }
  }
}
CONF
exec nginx -p "$folder" -c "$folder/nginx.conf" -g 'daemon off;'
