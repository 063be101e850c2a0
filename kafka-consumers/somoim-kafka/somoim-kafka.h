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

struct sm_conf;

int cmd_topics(const struct sm_conf *conf, int argc, char **argv);
int cmd_produce(const struct sm_conf *conf, int argc, char **argv);
int cmd_dlt(const struct sm_conf *conf, int argc, char **argv);
int cmd_lag(const struct sm_conf *conf, int argc, char **argv);

#endif
