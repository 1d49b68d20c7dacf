import AMQTopCore
