"""The support pages read a fixed number of queries, however many requests they show."""

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.support.actions import file_support_request
from leadtracker.accounts.tests.test_query_counts import count


def add_requests(people, n):
    for i in range(n):
        member = [people.alice, people.bob, people.carl][i % 3]
        file_support_request(member, subject=f"Question {i}", message="?", actor=Actor.system())


def test_support_queue_and_help_pages_do_not_grow(acme, as_member):
    admin, agent = as_member(acme.adam), as_member(acme.alice)
    add_requests(acme, 3)
    admin.get("/support/")
    agent.get("/help/")
    small = (count(lambda: admin.get("/support/")), count(lambda: agent.get("/help/")))
    add_requests(acme, 30)
    large = (count(lambda: admin.get("/support/")), count(lambda: agent.get("/help/")))
    assert small == large, (small, large)
