"""The attack suite: forged requests, hostile input, XSS, and what the logs keep."""
