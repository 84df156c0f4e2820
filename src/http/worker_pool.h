// A fixed-size pool of std::threads with a bounded queue: TryPost refuses instead of queueing
// without bound, so the server can answer 503 at once. Tasks are move-only callables.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace huiyin::http {

// A type-erased, move-only `void()` callable (std::move_only_function is C++23).
class UniqueTask {
 public:
  UniqueTask() = default;
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, UniqueTask>>>
  UniqueTask(F&& f)  // NOLINT(google-explicit-constructor)
      : impl_(std::make_unique<Impl<std::decay_t<F>>>(std::forward<F>(f))) {}

  explicit operator bool() const { return impl_ != nullptr; }
  void operator()() { impl_->Run(); }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void Run() = 0;
  };
  template <typename F>
  struct Impl final : Base {
    explicit Impl(F&& f) : fn(std::move(f)) {}
    explicit Impl(const F& f) : fn(f) {}
    void Run() override { fn(); }
    F fn;
  };
  std::unique_ptr<Base> impl_;
};

// Thread-safe. Tasks must not throw (the pool catches and logs, but a throwing task is a bug).
class WorkerPool {
 public:
  // `threads` workers; at most `queue_limit` tasks waiting (not counting running ones).
  WorkerPool(size_t threads, size_t queue_limit);
  // Stop(): queued tasks are dropped (destroyed unrun), running ones finish.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` and returns true, or returns false leaving `task` untouched when the queue is
  // full or the pool is stopping.
  bool TryPost(UniqueTask& task);
  // Stops accepting, drops queued tasks, joins the workers. Idempotent; not from a worker.
  void Stop();

  // Tasks waiting now.
  size_t QueueDepth() const;
  // Tasks running now.
  size_t Busy() const;
  size_t ThreadCount() const { return threads_.size(); }

 private:
  void Loop();

  const size_t queue_limit_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<UniqueTask> queue_;
  size_t busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace huiyin::http
