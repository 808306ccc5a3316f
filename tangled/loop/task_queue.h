/* loop/task_queue.h, tangled from chapter 15 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#ifndef TASK_QUEUE_H
#define TASK_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

struct task;

struct task_queue {
    struct task *head;
    struct task *tail;
    size_t length;
};

void task_queue_push_back(struct task_queue *queue, struct task *task);
void task_queue_push_front(struct task_queue *queue, struct task *task);
struct task *task_queue_pop(struct task_queue *queue);
bool task_queue_is_empty(const struct task_queue *queue);
void task_queue_remove(struct task_queue *queue, struct task *task);

#endif
