#include "store/event_merge.hpp"

#include "store/database.hpp"
#include "util/time_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <memory>

namespace natfw {

namespace {

struct Cursor {
    std::vector<SourcedEvent> events;
    std::size_t at = 0;
    const SourcedEvent& head() const { return events[at]; }
};

} // namespace

void merge_events(const std::function<bool(DecodedBlock&)>& next_block, std::vector<SourcedEvent> held,
                  const std::function<void(SourcedEvent&&)>& sink)
{
    std::vector<std::unique_ptr<Cursor>> heap;
    // std::*_heap keep the greatest first: "later" puts the earliest event there.
    auto later = [](const std::unique_ptr<Cursor>& a, const std::unique_ptr<Cursor>& b) {
        return event_order(b->head(), a->head());
    };
    auto push = [&](std::vector<SourcedEvent> events) {
        if (events.empty())
            return;
        heap.push_back(std::make_unique<Cursor>(Cursor{std::move(events), 0}));
        std::push_heap(heap.begin(), heap.end(), later);
    };
    push(std::move(held));
    DecodedBlock ahead;
    bool more = next_block(ahead);
    UnixMicros last_time = std::numeric_limits<UnixMicros>::min();
    while (true) {
        // A block none of whose events can come before the heap's first stays unread.
        while (more && (heap.empty() || ahead.first_time <= heap.front()->head().event.time)) {
            push(std::move(ahead.events));
            more = next_block(ahead);
        }
        if (heap.empty())
            break;
        std::pop_heap(heap.begin(), heap.end(), later);
        auto& c = *heap.back();
        // The merge is right only if every block's events are in order and
        // none is earlier than its row's first time. A damaged row would
        // otherwise build sessions from events out of order, without a word.
        const auto& e = c.events[c.at];
        if (e.event.time < last_time)
            throw IndexDamaged(fmt::format("connection event {} ({}) would reach the session builder after a later "
                                           "one ({}): an event block's order or its recorded first time is wrong",
                                           e.id, format_iso_micros(e.event.time), format_iso_micros(last_time)));
        last_time = e.event.time;
        sink(std::move(c.events[c.at]));
        if (++c.at == c.events.size())
            heap.pop_back();
        else
            std::push_heap(heap.begin(), heap.end(), later);
    }
}

} // namespace natfw
