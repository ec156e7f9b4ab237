#!/usr/bin/env python3
"""Writes a JWK Set and a log of distinct RS256 access tokens for `forgewatch token scan` benchmarks.

usage: generate.py --out DIR [--tokens N] [--seed S]

DIR/keys.jwks.json   one RSA-2048 key (kid bench-key) bound by its issuer member to the Entra tenant template
DIR/tokens.log       N lines "... Authorization: Bearer <token> ...", every token distinct (sub, oid, uti vary),
                     valid until 2099, shaped like Entra v2 access tokens
"""
import argparse, base64, json, os, random, time
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa, padding


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--tokens", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    n = numbers.n.to_bytes(256, "big")
    template = "https://login.microsoftonline.com/{tenantid}/v2.0"
    with open(os.path.join(args.out, "keys.jwks.json"), "w") as f:
        json.dump({"keys": [{"kty": "RSA", "use": "sig", "kid": "bench-key", "n": b64(n), "e": b64(numbers.e.to_bytes(3, "big")), "issuer": template}]}, f)
    header = b64(json.dumps({"alg": "RS256", "kid": "bench-key", "typ": "JWT"}, separators=(",", ":")).encode())
    tid = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    iat = int(time.time()) - 600
    with open(os.path.join(args.out, "tokens.log"), "w") as f:
        for i in range(args.tokens):
            oid = "%08x-%04x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48))
            claims = {"aud": "api://mail", "iss": template.replace("{tenantid}", tid), "iat": iat, "nbf": iat, "exp": 4102444800,
                      "aio": b64(rng.randbytes(40)), "azp": "d3590ed6-52b3-4102-aeff-aad2292ab01c", "azpacr": "0", "name": f"User {i}",
                      "oid": oid, "preferred_username": f"user{i}@contoso.com", "rh": "0.AXEA" + b64(rng.randbytes(30)), "scp": "Mail.Read User.Read",
                      "sid": oid, "sub": b64(rng.randbytes(32)), "tid": tid, "uti": b64(rng.randbytes(16)), "ver": "2.0"}
            payload = b64(json.dumps(claims, separators=(",", ":")).encode())
            signing_input = f"{header}.{payload}".encode("ascii")
            signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
            f.write(f'2026-11-29T10:{i // 60 % 60:02d}:{i % 60:02d}Z GET /api/mail/{i} Authorization: Bearer {header}.{payload}.{b64(signature)} status=200\n')


if __name__ == "__main__":
    main()
