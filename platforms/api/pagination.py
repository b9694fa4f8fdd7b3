from rest_framework.pagination import LimitOffsetPagination


class OrderPagination(LimitOffsetPagination):
    """Limit and offset within what the database can count (a huge offset is simply past the end)."""

    default_limit = 50
    max_limit = 200
    max_offset = 10**9

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), self.max_offset)
