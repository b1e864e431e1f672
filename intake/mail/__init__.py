"""Mail: the outbox delivers rows; each kind of message registers how it is built."""
