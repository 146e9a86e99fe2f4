"""What a gateway counts about the bodies it moves: :class:`GatewayStats`."""

from __future__ import annotations

import attrs


@attrs.define
class GatewayStats:
    """Counters of one gateway since it started (read them with
    :func:`~actorkit.gateway.gateway_stats`).

    Attributes:
        peak_request_body: the most bytes of one request body the gateway held at once: a
            whole body on a buffering route, one chunk on a ``stream=True`` route.
        peak_response_body: the same for response bodies: a whole ``bytes`` body, or one
            chunk of a streamed one.
        streamed_requests: requests whose body was handed over as a stream.
        streamed_responses: responses sent from an iterator of chunks.
    """

    peak_request_body: int = 0
    peak_response_body: int = 0
    streamed_requests: int = 0
    streamed_responses: int = 0

    def held_request(self, size: int) -> None:
        """A request body (or a chunk of one) of ``size`` bytes was held."""
        self.peak_request_body = max(self.peak_request_body, size)

    def held_response(self, size: int) -> None:
        """A response body (or a chunk of one) of ``size`` bytes was held."""
        self.peak_response_body = max(self.peak_response_body, size)

    def snapshot(self) -> GatewayStats:
        """A copy, frozen in time."""
        return attrs.evolve(self)
