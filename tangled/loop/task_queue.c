/* loop/task_queue.c, tangled from chapters 3, 15 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "task_queue.h"
#include "loop_internal.h"

/* Add a task at the back or the front of the queue (chapter 3) */
void task_queue_push_back(struct task_queue *queue, struct task *task)
{
    task->next = NULL;
    if (queue->tail != NULL)
        queue->tail->next = task;
    else
        queue->head = task;
    queue->tail = task;
    queue->length++;
}

void task_queue_push_front(struct task_queue *queue, struct task *task)
{
    task->next = queue->head;
    queue->head = task;
    if (queue->tail == NULL)
        queue->tail = task;
    queue->length++;
}

/* Take the task at the front of the queue (chapter 3) */
struct task *task_queue_pop(struct task_queue *queue)
{
    struct task *task = queue->head;
    if (task == NULL)
        return NULL;
    queue->head = task->next;
    if (queue->head == NULL)
        queue->tail = NULL;
    task->next = NULL;
    queue->length--;
    return task;
}

bool task_queue_is_empty(const struct task_queue *queue)
{
    return queue->head == NULL;
}

/* Take a task out of the middle of the queue (chapter 15) */
/* Take task out of the queue, wherever it is; a task not in it is left alone. */
void task_queue_remove(struct task_queue *queue, struct task *task)
{
    struct task **link = &queue->head;
    struct task *before = NULL;
    while (*link != NULL && *link != task) {
        before = *link;
        link = &before->next;
    }
    if (*link == NULL)
        return;
    *link = task->next;
    if (queue->tail == task)
        queue->tail = before;
    task->next = NULL;
    queue->length--;
}
