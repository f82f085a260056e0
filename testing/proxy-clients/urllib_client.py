"""See README.md: one request per URL argument through urllib, results on stdout."""
import os
import sys
import urllib.error
import urllib.request

key = os.environ.get("E2E_API_KEY", "")
print("KEY", key or "-")
for url in sys.argv[1:]:
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + key})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            print("RESULT", url, response.status, response.read().decode().replace("\n", " "))
    except urllib.error.HTTPError as e:
        print("RESULT", url, e.code, e.read().decode().replace("\n", " "))
    except Exception as e:  # noqa: BLE001 - any failure is a result the test reports
        print("ERROR", url, repr(e).replace("\n", " "))
