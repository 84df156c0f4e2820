#!/usr/bin/env python3
"""Registers and publishes N catalogue items over the API (bench data for issue 7).

usage: seed_services.py URL N   (HUIYIN_COOKIE and HUIYIN_CSRF of approver1 in the environment)

Items are variations of config/demo/services.json: each gets a unique code (the basic code's
sequence and the item number vary) and a numbered name; main items only.
"""
import copy
import http.client
import json
import os
import sys
import urllib.parse

url, count = sys.argv[1], int(sys.argv[2])
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
templates = [i for i in json.load(open(os.path.join(root, "config/demo/services.json")))["items"]
             if i["main_code"] is None and i["status"] == "published"]
u = urllib.parse.urlparse(url)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
headers = {"Content-Type": "application/json", "X-CSRF-Token": os.environ["HUIYIN_CSRF"],
           "Cookie": "huiyin_session=" + os.environ["HUIYIN_COOKIE"]}


def call(method, path, body):
    conn.request(method, path, json.dumps(body), headers)
    r = conn.getresponse()
    data = r.read()
    if r.status not in (200, 201, 409):
        sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
    return r.status


made = 0
for n in range(count):
    item = copy.deepcopy(templates[n % len(templates)])
    item.pop("status", None)
    basic, division, credit, _ = item["code"].split("-")
    item["code"] = f"{basic[:6]}{n:06d}-{division}-{credit}-{n % 100:02d}"
    item["name"] = f"{item['name']}（第{n}号）"
    if call("POST", "/api/v1/services", item) == 201:
        call("POST", f"/api/v1/services/{item['code']}/publish", {"version": 1})
        made += 1
print(f"{made} items registered and published")
