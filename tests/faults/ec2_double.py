#!/usr/bin/env python3
"""EC2 API double for the fault harness (the real EC2 API cannot be reached here).

Answers the two calls the watchdog makes (DescribeInstances by private IP, DescribeInstanceStatus)
for any IP: the instance is running and both status checks are `impaired`, the wrong signal a paused
or overloaded machine gives on EC2. The watchdog must never take it as death.
Usage: ec2_double.py PORT (listens on 127.0.0.1 inside the zone's namespace).
"""
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        form = urllib.parse.parse_qs(body)
        action = form.get("Action", [""])[0]
        if action == "DescribeInstances":
            ip = form.get("Filter.1.Value.1", ["0.0.0.0"])[0]
            instance = "i-" + "".join("%02x" % int(part) for part in ip.split("."))
            xml = ("<DescribeInstancesResponse><reservationSet><item><instancesSet><item><instanceId>%s</instanceId>"
                   "<privateIpAddress>%s</privateIpAddress></item></instancesSet></item></reservationSet>"
                   "</DescribeInstancesResponse>" % (instance, ip))
        elif action == "DescribeInstanceStatus":
            instance = form.get("InstanceId.1", ["i-0"])[0]
            xml = ("<DescribeInstanceStatusResponse><instanceStatusSet><item><instanceId>%s</instanceId>"
                   "<instanceState><code>16</code><name>running</name></instanceState>"
                   "<systemStatus><status>impaired</status></systemStatus>"
                   "<instanceStatus><status>impaired</status></instanceStatus></item></instanceStatusSet>"
                   "</DescribeInstanceStatusResponse>" % instance)
        else:
            self.send_response(400)
            self.end_headers()
            return
        data = xml.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
