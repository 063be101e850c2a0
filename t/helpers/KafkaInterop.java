/*
 * KafkaInterop -- the Java side of t/121-java-interop.t, written against the
 * plain Apache Kafka client (kafka-clients, what Spring Kafka sits on), to
 * show that the C services and a Java service read each other's Kafka:
 *
 *   partitions BROKERS TOPIC KEY_REGEX
 *       reads the whole topic and checks that every record whose key matches
 *       KEY_REGEX sits on the partition the Java client's default partitioner
 *       would choose, toPositive(murmur2(key)) % partitions; prints "checked N
 *       mismatched M".  (The regex leaves out what tests placed on a chosen
 *       partition on purpose.)
 *   request BROKERS TOPIC REPLY_TOPIC VALUE
 *       a Spring-style requester (ReplyingKafkaTemplate's headers): sends VALUE
 *       with kafka_replyTopic, kafka_replyPartition (4-byte big-endian 0) and a
 *       16-byte kafka_correlationId, waits up to 20 s for the reply carrying
 *       the same id on REPLY_TOPIC partition 0 and prints its value.
 *   respond BROKERS TOPIC
 *       a Spring-style responder: answers each request on the partition its
 *       headers name, with its correlation id, {"echo": VALUE, "pid": 0};
 *       prints "ready" once its partitions' positions are resolved.
 *
 * Exit status 0 on success, 1 on a mismatch or a timeout, 2 on bad usage.
 */
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

public final class KafkaInterop {
    private static final String REPLY_TOPIC = "kafka_replyTopic";
    private static final String REPLY_PARTITION = "kafka_replyPartition";
    private static final String CORRELATION_ID = "kafka_correlationId";

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[1].equals("partitions"))
            System.exit(partitions(args[0], args[2], Pattern.compile(args[3])));
        if (args.length == 5 && args[1].equals("request"))
            System.exit(request(args[0], args[2], args[3], args[4]));
        if (args.length == 3 && args[1].equals("respond"))
            System.exit(respond(args[0], args[2]));
        System.err.println("usage: KafkaInterop BROKERS partitions TOPIC KEY_REGEX | request TOPIC REPLY_TOPIC VALUE"
            + " | respond TOPIC");
        System.exit(2);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String brokers, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        if (group != null)
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return new KafkaConsumer<>(p);
    }

    private static KafkaProducer<byte[], byte[]> producer(String brokers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p);
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> c, String topic) {
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo pi : c.partitionsFor(topic, Duration.ofSeconds(20)))
            tps.add(new TopicPartition(topic, pi.partition()));
        return tps;
    }

    private static int partitions(String brokers, String topic, Pattern keys) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(brokers, null)) {
            List<TopicPartition> tps = partitionsOf(c, topic);
            int n = tps.size();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(20));
            long checked = 0, mismatched = 0, deadline = System.currentTimeMillis() + 60000;
            while (System.currentTimeMillis() < deadline) {
                boolean done = true;
                for (TopicPartition tp : tps)
                    done &= c.position(tp) >= end.get(tp);
                if (done) {
                    System.out.println("checked " + checked + " mismatched " + mismatched);
                    return mismatched == 0 ? 0 : 1;
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.key() == null
                        || !keys.matcher(new String(r.key(), StandardCharsets.UTF_8)).matches())
                        continue;
                    checked++;
                    int want = Utils.toPositive(Utils.murmur2(r.key())) % n;
                    if (want != r.partition()) {
                        mismatched++;
                        System.err.println("key " + new String(r.key(), StandardCharsets.UTF_8)
                            + " on partition " + r.partition() + ", Java puts it on " + want);
                    }
                }
            }
            System.err.println("timed out reading " + topic);
            return 1;
        }
    }

    private static int request(String brokers, String topic, String replyTopic, String value)
        throws Exception {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        try (KafkaConsumer<byte[], byte[]> c = consumer(brokers, null);
            KafkaProducer<byte[], byte[]> p = producer(brokers)) {
            TopicPartition reply = new TopicPartition(replyTopic, 0);
            c.assign(List.of(reply));
            c.seekToEnd(List.of(reply));
            c.position(reply);      /* resolved before the request goes out */
            ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(topic, null,
                value.getBytes(StandardCharsets.UTF_8));
            rec.headers().add(REPLY_TOPIC, replyTopic.getBytes(StandardCharsets.UTF_8));
            rec.headers().add(REPLY_PARTITION, ByteBuffer.allocate(4).putInt(0).array());
            rec.headers().add(CORRELATION_ID, id);
            p.send(rec).get();
            long deadline = System.currentTimeMillis() + 20000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    Header h = r.headers().lastHeader(CORRELATION_ID);
                    if (h != null && Arrays.equals(h.value(), id)) {
                        System.out.println(new String(r.value(), StandardCharsets.UTF_8));
                        return 0;
                    }
                }
            }
            System.err.println("no reply within 20 s");
            return 1;
        }
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\')
                b.append('\\').append(ch);
            else if (ch < 0x20)
                b.append(String.format("\\u%04x", (int) ch));
            else
                b.append(ch);
        }
        return b.append('"').toString();
    }

    private static int respond(String brokers, String topic) {
        /*
         * Every partition assigned by hand, at its end: no group, so no rebalance can
         * move the positions after "ready" (a Spring listener would join a group; what
         * matters here is the headers, not the group).
         */
        try (KafkaConsumer<byte[], byte[]> c = consumer(brokers, null);
            KafkaProducer<byte[], byte[]> p = producer(brokers)) {
            List<TopicPartition> tps = partitionsOf(c, topic);
            c.assign(tps);
            c.seekToEnd(tps);
            for (TopicPartition tp : tps)
                System.err.println("positioned " + tp + " at " + c.position(tp));
            System.out.println("ready");
            System.out.flush();
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    Header to = r.headers().lastHeader(REPLY_TOPIC);
                    Header part = r.headers().lastHeader(REPLY_PARTITION);
                    Header id = r.headers().lastHeader(CORRELATION_ID);
                    if (to == null || id == null)
                        continue;
                    String value = "{\"echo\":" + jsonString(new String(r.value(),
                        StandardCharsets.UTF_8)) + ",\"pid\":0}";
                    Integer partition = part != null && part.value().length == 4
                        ? ByteBuffer.wrap(part.value()).getInt() : null;
                    ProducerRecord<byte[], byte[]> reply = new ProducerRecord<>(
                        new String(to.value(), StandardCharsets.UTF_8), partition, null,
                        value.getBytes(StandardCharsets.UTF_8));
                    reply.headers().add(CORRELATION_ID, id.value());
                    p.send(reply);
                    StringBuilder hex = new StringBuilder();
                    for (byte x : id.value())
                        hex.append(String.format("%02x", x));
                    System.err.println("answered " + r.topic() + "[" + r.partition() + "]@"
                        + r.offset() + " " + hex + " to " + reply.topic() + "[" + partition + "]");
                }
                p.flush();
            }
        }
    }
}
