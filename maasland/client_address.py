"""The address of the client that sent a request, the one rule for the login lockout (django-axes,
AXES_CLIENT_IP_CALLABLE) and the mail limits (maasland/mail_limits.py).

Behind a reverse proxy every request comes from the proxy. The proxy appends the address it saw to
X-Forwarded-For, so that header is read from the right, one hop at a time, for as long as the hop is one of the
proxies named in TRUSTED_PROXIES; the first address that is not one of them is the client. Whatever a client
writes into the header itself stands left of that and is never believed, and a request that does not come from a
trusted proxy is judged by its own address, header or not.
"""

import ipaddress

from django.conf import settings


def trusted_networks():
    """TRUSTED_PROXIES (addresses or CIDR ranges) as networks; settings.py has checked them."""
    return [ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES]


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks):
    return any(address.version == network.version and address in network for network in networks)


def client_address(request):
    """The client's IP address, as text."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return request.META.get("REMOTE_ADDR") or None
    networks = trusted_networks()
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while _trusted(client, networks) and hops:
        hop = _address(hops.pop())
        if hop is None:  # a hop our proxy did not write: stop at the last one we can vouch for
            break
        client = hop
    return str(client)
