/*
 * somoim-kafka.h -- the operator's Kafka tool: one command per file.
 *
 *   somoim-kafka topics FILE            create every topic of FILE and its DLT
 *   somoim-kafka produce ...            send envelopes (tests, tools)
 *   somoim-kafka dlt list TOPIC.DLT     show dead letters with their headers
 *   somoim-kafka dlt redrive ...        send dead letters back to their topic
 *   somoim-kafka lag [GROUP...]         each group's lag per partition
 *
 * Every command reads $SOMOIM_CONF (or -c FILE) for the brokers and returns the
 * process exit status.
 */
#ifndef SOMOIM_KAFKA_H
#define SOMOIM_KAFKA_H

/*
 * How long the tool waits for any one answer of the broker (metadata, offsets,
 * deliveries, admin results).  An operator's tool on a loaded machine should wait
 * rather than give up; 30 s is still an answer a person waits for.
 */
#define KT_TIMEOUT_MS 30000

struct sm_conf;

int cmd_topics(const struct sm_conf *conf, int argc, char **argv);
int cmd_produce(const struct sm_conf *conf, int argc, char **argv);
int cmd_dlt(const struct sm_conf *conf, int argc, char **argv);
int cmd_lag(const struct sm_conf *conf, int argc, char **argv);

#endif
