#pragma once
// Work on items in parallel, results in the order the items came: the
// calling thread fills items and consumes the finished ones in sequence;
// worker threads do the work in between. At most 2 × workers + 1 items exist
// at once, so memory does not grow with the input's length.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace natfw {

/// A FIFO between threads; nullptr ends a consumer's stream.
template <class T>
class HandOff {
public:
    void push(T* item)
    {
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(item);
        }
        m_ready.notify_one();
    }
    T* pop()
    {
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [&] { return !m_queue.empty(); });
        T* item = m_queue.front();
        m_queue.pop_front();
        return item;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<T*> m_queue;
};

/// `fill(item)` (calling thread) loads a recycled item and returns false when
/// there is nothing left to load. `make_worker()` runs once on each of
/// `workers` threads and returns that thread's work function. `consume(item)`
/// (calling thread) sees every filled item, worked, in fill order. The first
/// exception from any of them stops the run: nothing is consumed after it,
/// every thread is joined, and it is rethrown.
/// `slots_max` (0: 2 × workers + 1) bounds the items that exist at once: fewer
/// when each is large.
template <class Item>
void run_ordered(std::size_t workers, const std::function<std::function<void(Item&)>()>& make_worker,
                 const std::function<bool(Item&)>& fill, const std::function<void(Item&)>& consume,
                 std::size_t slots_max = 0)
{
    struct Slot {
        std::uint64_t sequence = 0;
        Item item{};
    };
    workers = std::max<std::size_t>(1, workers);
    slots_max = slots_max ? std::max(slots_max, workers + 1) : 2 * workers + 1;
    HandOff<Slot> pending, done;
    std::mutex error_mutex;
    std::exception_ptr worker_error;
    auto failed = [&] {
        std::lock_guard lock(error_mutex);
        return worker_error != nullptr;
    };
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < workers; ++i)
        threads.emplace_back([&] {
            std::function<void(Item&)> work;
            try {
                work = make_worker();
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!worker_error)
                    worker_error = std::current_exception();
            }
            while (Slot* s = pending.pop()) {
                try {
                    if (work && !failed())
                        work(s->item);
                } catch (...) {
                    std::lock_guard lock(error_mutex);
                    if (!worker_error)
                        worker_error = std::current_exception();
                }
                done.push(s);
            }
        });

    std::vector<std::unique_ptr<Slot>> pool;
    std::vector<Slot*> free_slots;
    std::map<std::uint64_t, Slot*> finished; // worked, waiting for their turn
    std::uint64_t next_fill = 0, next_consume = 0;
    std::size_t in_flight = 0;
    std::exception_ptr consumer_error;
    auto collect_one = [&] {
        Slot* s = done.pop();
        finished.emplace(s->sequence, s);
        --in_flight;
        for (auto it = finished.begin(); it != finished.end() && it->first == next_consume; it = finished.erase(it)) {
            if (!consumer_error && !failed()) {
                try {
                    consume(it->second->item);
                } catch (...) {
                    consumer_error = std::current_exception();
                }
            }
            free_slots.push_back(it->second);
            ++next_consume;
        }
    };
    auto stop_workers = [&] {
        while (in_flight)
            collect_one();
        for (std::size_t i = 0; i < workers; ++i)
            pending.push(nullptr);
        for (auto& t : threads)
            t.join();
    };
    try {
        while (!failed() && !consumer_error) {
            if (free_slots.empty() && pool.size() < slots_max) {
                pool.push_back(std::make_unique<Slot>());
                free_slots.push_back(pool.back().get());
            }
            while (free_slots.empty())
                collect_one();
            if (failed() || consumer_error)
                break;
            Slot* s = free_slots.back();
            free_slots.pop_back();
            if (!fill(s->item)) {
                free_slots.push_back(s);
                break;
            }
            s->sequence = next_fill++;
            pending.push(s);
            ++in_flight;
        }
    } catch (...) {
        stop_workers();
        throw;
    }
    stop_workers();
    if (consumer_error)
        std::rethrow_exception(consumer_error);
    if (worker_error)
        std::rethrow_exception(worker_error);
}

} // namespace natfw
